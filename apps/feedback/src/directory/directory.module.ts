import { Module } from '@nestjs/common';
import { DirectoryHandlers } from './directory.handlers';
import { DirectoryRepository } from './directory.repository';
import { DirectoryService } from './directory.service';

/** Accounts, contacts, users and projects as feedback knows them (read models fed by accounts' events). */
@Module({ providers: [DirectoryRepository, DirectoryService, DirectoryHandlers], exports: [DirectoryService] })
export class DirectoryModule {}
