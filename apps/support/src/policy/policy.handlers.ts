import { Subjects } from '@steward/contracts';
import { HandlerRegistry, NatsAdapters, NatsHandlers } from '@steward/service-kit';
import { PolicyService } from './policy.service';

/** NATS adapters of the support policy: one line per subject. */
@NatsHandlers()
export class PolicyHandlers implements NatsAdapters {
  constructor(private readonly policy: PolicyService) {}

  register(r: HandlerRegistry): void {
    const s = Subjects.support;
    r.handle(s.policyGet, (req, ctx) => this.policy.get(ctx, req));
    r.handle(s.policyPut, (req, ctx) => this.policy.put(ctx, req));
  }
}
