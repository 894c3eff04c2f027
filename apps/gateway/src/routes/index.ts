import { AuthController } from './auth.controller';
import { AccountsController, ContactsController, ProjectsController, RevenueController } from './customers.controller';
import { AuditController, PartnersController, TenantsController, UsersController } from './identity.controller';
import { OpsController } from './ops.controller';
import { SupportServiceController, SupportSetupController, SupportTicketsController } from './support.controller';
import { CatalogController } from './catalog.controller';
import { FeedbackController, RespondentController } from './feedback.controller';

/**
 * Every HTTP controller of the gateway. A service's routes module adds its controllers
 * here (the service generator does it).
 */
export const ROUTE_CONTROLLERS = [
  AuthController,
  TenantsController,
  UsersController,
  PartnersController,
  AuditController,
  AccountsController,
  ContactsController,
  ProjectsController,
  RevenueController,
  SupportTicketsController,
  SupportSetupController,
  SupportServiceController,
  CatalogController,
  FeedbackController,
  RespondentController,
  // generate:service adds new services' controllers above this line
  OpsController,
];
