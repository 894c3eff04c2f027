import { Module } from '@nestjs/common';
import { DirectoryHandlers } from './directory.handlers';
import { DirectoryRepository } from './directory.repository';
import { DirectoryService } from './directory.service';

/** Read models of accounts, projects and partners (from accounts' events). */
@Module({ providers: [DirectoryRepository, DirectoryService, DirectoryHandlers], exports: [DirectoryService] })
export class DirectoryModule {}
