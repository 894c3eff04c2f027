import { Module } from '@nestjs/common';
import { RecoveryHandlers } from './recovery.handlers';
import { RecoveryRepository } from './recovery.repository';
import { RecoveryService } from './recovery.service';

/** Complaints and service-recovery vouchers. */
@Module({ providers: [RecoveryRepository, RecoveryService, RecoveryHandlers], exports: [RecoveryService] })
export class RecoveryModule {}
