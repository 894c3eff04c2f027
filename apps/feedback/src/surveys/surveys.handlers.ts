import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { InvitationsService } from './invitations.service';
import { RemindInvitationsJob } from './surveys.jobs';
import { SurveysService } from './surveys.service';

/** NATS adapters of surveys and invitations: one line per subject or job, no logic. */
@NatsHandlers()
export class SurveysHandlers implements NatsAdapters {
  constructor(
    private readonly surveys: SurveysService,
    private readonly invitations: InvitationsService,
  ) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.feedback;
    r.handle(s.surveyCreate, (req, ctx) => this.surveys.create(ctx, req));
    r.handle(s.surveyGet, (req, ctx) => this.surveys.get(ctx, req.id));
    r.handle(s.surveyList, (req, ctx) => this.surveys.list(ctx, req));
    r.handle(s.surveyUpdate, (req, ctx) => this.surveys.update(ctx, req));
    r.handle(s.surveyActivate, (req, ctx) => this.surveys.activate(ctx, req.id));
    r.handle(s.surveyClose, (req, ctx) => this.surveys.close(ctx, req.id));
    r.handle(s.surveyPreview, (req, ctx) => this.surveys.preview(ctx, req));
    r.handle(s.invitationCreate, (req, ctx) => this.invitations.create(ctx, req));
    r.handle(s.invitationList, (req, ctx) => this.invitations.list(ctx, req));
    r.handle(s.deliveryList, (req, ctx) => this.invitations.deliveriesList(ctx, req));
    r.job(RemindInvitationsJob, { run: (job) => this.invitations.remind(job) });
  }
}
