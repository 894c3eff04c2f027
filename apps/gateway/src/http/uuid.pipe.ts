import { Injectable, PipeTransform, ArgumentMetadata } from '@nestjs/common';
import { StewardError } from '@steward/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Validates a path id; the error names it as `path.<name>`. */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    if (UUID.test(value)) return value.toLowerCase();
    throw StewardError.validation([{ field: `path.${meta.data ?? 'id'}`, rule: 'uuid', message: 'must be a UUID' }]);
  }
}
