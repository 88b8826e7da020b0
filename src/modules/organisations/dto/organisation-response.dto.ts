import type { Organisation } from '../organisation.entity';

export class OrganisationResponseDto {
  id: string;
  name: string;
  createdAt: string;

  static from(o: Organisation): OrganisationResponseDto {
    return { id: o.id, name: o.name, createdAt: o.createdAt.toISOString() };
  }
}
