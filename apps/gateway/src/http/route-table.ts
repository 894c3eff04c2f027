import { HttpStatus, RequestMethod, Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { IF_MATCH_VERSION, LOCATION, LocationRule } from './conventions';

/** One HTTP route of a controller, with what the conventions read from it. */
export interface RouteInfo {
  method: string;
  /** As the router has it: `:param` for parameters, `::` for a literal colon. */
  path: string;
  controller: string;
  handler: string;
  /** The status a success answers with (`@HttpCode`, else Nest's: 201 for POST, 200 otherwise). */
  status: number;
  location: LocationRule | false | undefined;
  ifMatchVersion: boolean;
}

const join = (...parts: string[]) => `/${parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;

/**
 * Every route the controllers declare, read from Nest's route metadata (no application
 * needed): lets a test hold every route, present and future, to the HTTP conventions.
 */
export function routeTable(controllers: readonly Type<unknown>[]): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const controller of controllers) {
    const bases = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined ?? ''].flat();
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const fn = proto[name];
      if (name === 'constructor' || typeof fn !== 'function') continue;
      const paths = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
      const verb = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      if (paths === undefined || verb === undefined) continue;
      const method = RequestMethod[verb];
      const status = (Reflect.getMetadata(HTTP_CODE_METADATA, fn) as number | undefined) ?? (method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
      for (const base of bases) {
        for (const path of [paths].flat()) {
          routes.push({
            method,
            path: join(base, path),
            controller: controller.name,
            handler: name,
            status,
            location: Reflect.getMetadata(LOCATION, fn) as LocationRule | false | undefined,
            ifMatchVersion: Reflect.getMetadata(IF_MATCH_VERSION, fn) === true,
          });
        }
      }
    }
  }
  return routes;
}

/** A route pattern with its parameter names erased (`/v1/accounts/:id` and `/v1/accounts/:accountId` are one path). */
export const pathShape = (pattern: string): string =>
  pattern
    .split('::')
    .map((part) => part.replace(/:[A-Za-z0-9_]+/g, ':'))
    .join('::');

/** The route pattern a created resource's Location points at. */
export function locationPattern(route: RouteInfo): string | null {
  if (route.method !== 'POST' || route.status !== HttpStatus.CREATED || route.location === false) return null;
  return route.location ? route.location.path.replace(/\{id\}/g, ':id') : `${route.path}/:id`;
}
