namespace TensorFusion.Agent.Attribution;

/// <summary>Maps a pod UID on this node to the worker key the plan files it under ("namespace_pod").</summary>
public interface IWorkerDirectory
{
    /// <summary>The worker key, or null when the pod is unknown (a refresh is then requested; answers come later).</summary>
    string? WorkerKeyOf(string podUid);
}
