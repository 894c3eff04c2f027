import { {{Name}}Init{{ts}} } from './{{ts}}-{{name}}';

/** Every {{name}} migration, in order. Never edit one that has landed: add a new one. */
export const {{camel}}Migrations = [{{Name}}Init{{ts}}];
