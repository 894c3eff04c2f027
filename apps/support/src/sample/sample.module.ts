import { Module } from '@nestjs/common';
import { SampleHandlers } from './sample.handlers';
import { SampleRepository } from './sample.repository';
import { SampleService } from './sample.service';

/** A sample feature to copy: repository, service, NATS adapters. Replace it with the service's first real feature. */
@Module({ providers: [SampleRepository, SampleService, SampleHandlers] })
export class SampleModule {}
