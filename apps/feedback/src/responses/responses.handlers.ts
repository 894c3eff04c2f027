import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { ImportsService } from './imports.service';
import { RespondentsService } from './respondents.service';
import { RefreshRollupsJob } from './responses.jobs';
import { RollupsService } from './rollups.service';

/** NATS adapters of responses: the respondent flow, imports, the rollup job. One line each. */
@NatsHandlers()
export class ResponsesHandlers implements NatsAdapters {
  constructor(
    private readonly respondents: RespondentsService,
    private readonly imports: ImportsService,
    private readonly rollups: RollupsService,
  ) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.feedback;
    r.handle(s.respondentOpen, (req, ctx) => this.respondents.open(ctx, req.token));
    r.handle(s.respondentSave, (req, ctx) => this.respondents.save(ctx, req));
    r.handle(s.respondentSubmit, (req, ctx) => this.respondents.submit(ctx, req));
    r.handle(s.responseImport, (req, ctx) => this.imports.import(ctx, req));
    r.handle(s.responseList, (req, ctx) => this.imports.list(ctx, req));
    r.job(RefreshRollupsJob, { run: (job) => this.rollups.refresh(job) });
  }
}
