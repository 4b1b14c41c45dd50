/**
 * The unions of the served OpenAPI document (schema.ts, generated): the pages key their maps by
 * them with `satisfies Record<Union, …>`, so a value the server adds and a page does not name fails
 * typecheck. Types only: nothing of this reaches a bundle.
 */
import type { components, paths } from './schema.js';

type Schemas = components['schemas'];
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Answer<P extends keyof paths, M extends keyof paths[P], S extends number = 200> =
  paths[P][M] extends { responses: infer R } ? (S extends keyof R ? JsonOf<R[S]> : never) : never;
type Body<P extends keyof paths, M extends keyof paths[P]> =
  paths[P][M] extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
type CaseListQuery = NonNullable<paths['/api/v1/cases']['get']['parameters']['query']>;

/** The actions of API.md's table (one `action_*` body schema each). */
export type ActionName = Schemas[Extract<keyof Schemas, `action_${string}`>]['action'];
export type CaseStateName = NonNullable<CaseListQuery['state']>;
export type LevelName = NonNullable<CaseListQuery['level']>;
export type AgendaReasonName = Answer<'/api/v1/meetings/{id}', 'get'>['agenda'][number]['reasons'][number];
export type NotificationKindName = Answer<'/api/v1/notifications', 'get'>['items'][number]['kind'];
export type PolicyStepName = Answer<'/api/v1/sla-policies', 'get'>[number]['step'];
export type OrgTypeName = Body<'/api/v1/orgs', 'post'>['type'];
export type RoleName = Body<'/api/v1/users', 'post'>['role'];
export type RoutingStepName = Body<'/api/v1/routing-rules', 'put'>[number]['step'];
export type UrgencyName = Body<'/api/v1/cases', 'post'>['urgency'];
