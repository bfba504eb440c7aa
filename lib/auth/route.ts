import { GatewayError } from "@/lib/errors";
import { apiHandler, type HandlerContext } from "@/lib/http/handler";
import { type Membership, type Role, requireMembership } from "./access";
import { requireUser, type SignedInUser } from "./session";

type Params = Record<string, string | string[] | undefined>;

export interface UserContext extends HandlerContext {
  user: SignedInUser;
}

export interface TenantContext extends UserContext {
  membership: Membership;
}

/** A dashboard route for any signed-in user: 401 without a session. */
export function userRoute<P extends Params = Params>(
  handle: (request: Request, ctx: UserContext, params: P) => Promise<Response>,
) {
  return apiHandler<P>(async (request, ctx, params) =>
    handle(request, { ...ctx, user: await requireUser() }, params),
  );
}

/**
 * A dashboard route on one tenant, named by the `tenantId` path segment: 401 without a session,
 * 404 when the user is not a member (403 when `role` is "owner" and they are a plain member).
 * Every read or change of a tenant's data goes through here, so membership is never forgotten.
 */
export function tenantRoute<P extends Params & { tenantId: string }>(
  role: Role | undefined,
  handle: (request: Request, ctx: TenantContext, params: P) => Promise<Response>,
) {
  return userRoute<P>(async (request, ctx, params) => {
    const membership = await requireMembership(
      ctx.runtime.database.db,
      ctx.user.id,
      params.tenantId,
      role,
    );
    return handle(request, { ...ctx, membership }, params);
  });
}

/** A route for operators (TOLLGATE_ADMIN_EMAILS) only: 403 for everyone else signed in. */
export function operatorRoute<P extends Params = Params>(
  handle: (request: Request, ctx: UserContext, params: P) => Promise<Response>,
) {
  return userRoute<P>(async (request, ctx, params) => {
    if (!ctx.user.operator) {
      throw new GatewayError("forbidden", "Only operators (TOLLGATE_ADMIN_EMAILS) can do this.");
    }
    return handle(request, ctx, params);
  });
}
