import { declareService } from '@steward/service-kit';
import { {{Name}}Settings } from './config';
import { {{camel}}Migrations } from './migrations';
import { SampleModule } from './sample/sample.module';

/** The {{name}} service: its feature modules, migrations and settings. */
export const {{camel}}Service = declareService({
  name: '{{name}}',
  modules: [SampleModule],
  migrations: {{camel}}Migrations,
  settings: {{Name}}Settings,
  opsPort: {{opsPort}},
});
