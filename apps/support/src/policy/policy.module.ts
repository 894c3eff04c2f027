import { Module } from '@nestjs/common';
import { PolicyHandlers } from './policy.handlers';
import { PolicyRepository } from './policy.repository';
import { PolicyService } from './policy.service';

/** The tenant's versioned support policy. */
@Module({ providers: [PolicyRepository, PolicyService, PolicyHandlers], exports: [PolicyService] })
export class PolicyModule {}
