import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { SampleService } from './sample.service';

/** NATS adapters of the sample feature: one line per subject, no logic. */
@NatsHandlers()
export class SampleHandlers implements NatsAdapters {
  constructor(private readonly samples: SampleService) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.feedback;
    r.handle(s.sampleCreate, (req, ctx) => this.samples.create(ctx, req));
    r.handle(s.sampleList, (req, ctx) => this.samples.list(ctx, req));
  }
}
