import { FeedbackInit1796095404763 } from './1796095404763-feedback';
import { FeedbackSurveys1796300000000 } from './1796300000000-feedback-surveys';

/** Every feedback migration, in order. Never edit one that has landed: add a new one. */
export const feedbackMigrations = [FeedbackInit1796095404763, FeedbackSurveys1796300000000];
