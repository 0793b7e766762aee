using TensorFusion.LocalCluster.Resources;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Semantics;

/// <summary>Atomic edits the built-in controllers make (they run under the store lock, so they never race a client write).</summary>
public sealed partial class ResourceOperations
{
    /// <summary>Removes one finalizer; the object goes away if it was the last one of a deleting object.</summary>
    public Task<StoredObject> RemoveFinalizerAsync(ResourceType type, string @namespace, string name, string finalizer) =>
        WriteExistingAsync(type, @namespace, name, null, new WriteOptions(FieldValidation: FieldValidation.Ignore), existing =>
        {
            var next = existing.Value.DeepClone().AsObject();
            Meta.SetFinalizers(next, Meta.Finalizers(next).Where(item => item != finalizer));
            return next;
        });

    /// <summary>Drops the owner references that point at <paramref name="ownerUid"/> (orphaning).</summary>
    public Task<StoredObject> RemoveOwnerReferenceAsync(ResourceType type, string @namespace, string name, string ownerUid) =>
        WriteExistingAsync(type, @namespace, name, null, new WriteOptions(FieldValidation: FieldValidation.Ignore), existing =>
        {
            var next = existing.Value.DeepClone().AsObject();
            if (Meta.Of(next)["ownerReferences"] is System.Text.Json.Nodes.JsonArray owners)
            {
                foreach (var owner in owners.Where(owner => Meta.Text(owner, "uid") == ownerUid).ToList())
                {
                    owners.Remove(owner);
                }

                if (owners.Count == 0)
                {
                    Meta.Of(next).Remove("ownerReferences");
                }
            }

            return next;
        });

    /// <summary>Writes a new status through the status subresource rules (used by the kubelet stand-in).</summary>
    public Task<StoredObject> WriteStatusAsync(ResourceType type, string @namespace, string name, Action<System.Text.Json.Nodes.JsonObject> change) =>
        WriteExistingAsync(type, @namespace, name, "status", new WriteOptions(FieldValidation: FieldValidation.Ignore), existing =>
        {
            var next = existing.Value.DeepClone().AsObject();
            change(next);
            return next;
        });
}
