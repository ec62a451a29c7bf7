import { UserError } from '@mtl-fd/capture';

/** A chart cannot be drawn because the table has none of the rows it needs. */
export class NoDataError extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'NoDataError';
  }
}
