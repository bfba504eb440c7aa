"use client";

import { useRouter } from "next/navigation";
import { callApi } from "@/components/ui/api";
import { ConfirmButton } from "@/components/ui/confirm-button";

/** Removes a member (an owner's choice) or, on one's own row, leaves the workspace. */
export function RemoveMemberButton({
  tenantId,
  userId,
  who,
  self,
}: {
  tenantId: string;
  userId: string;
  who: string;
  self: boolean;
}) {
  const router = useRouter();
  return (
    <ConfirmButton
      label={self ? "Leave" : "Remove"}
      title={self ? "Leave this workspace?" : `Remove ${who}?`}
      body={
        self
          ? "You lose access to its keys and usage at once. An owner can invite you again."
          : "They lose access to this workspace at once. The keys they created keep working."
      }
      confirmLabel={self ? "Leave workspace" : "Remove member"}
      onConfirm={async () => {
        const result = await callApi(
          "DELETE",
          `/api/dashboard/tenants/${tenantId}/members/${userId}`,
        );
        if (!result.ok) return result.error;
        if (self) router.push("/dashboard");
        router.refresh();
        return null;
      }}
    />
  );
}
