using TensorFusion.Gpu.Catalog;

namespace TensorFusion.Host.Local;

/// <summary>What `tensorfusion local` starts. Defaults give 2 simulated nodes with 8 H100 each.</summary>
public sealed record LocalModeOptions
{
    /// <summary>Where the SQLite state, kubeconfig and endpoints.json live; reused on restart.</summary>
    public string StateDirectory { get; init; } = ".tensorfusion";

    /// <summary>API server port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; } = 6443;

    public int Nodes { get; init; } = 2;

    public int GpusPerNode { get; init; } = 8;

    public string GpuModel { get; init; } = "H100";

    /// <summary>Start a local Prometheus when the binary is on PATH.</summary>
    public bool StartPrometheus { get; init; } = true;

    /// <summary>Checks the values and names the flag to fix.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535)
        {
            errors.Add($"--port must be between 0 and 65535, got {Port}");
        }

        if (Nodes is < 1 or > 256)
        {
            errors.Add($"--nodes must be between 1 and 256, got {Nodes}");
        }

        if (GpusPerNode is < 1 or > 16)
        {
            errors.Add($"--gpus-per-node must be between 1 and 16, got {GpusPerNode}");
        }

        if (GpuModelCatalog.Default.TryFind(GpuModel) is null)
        {
            errors.Add($"--gpu-model: unknown GPU model '{GpuModel}'; known: {string.Join(", ", GpuModelCatalog.Default.Models.Select(model => model.Name))}");
        }

        if (string.IsNullOrWhiteSpace(StateDirectory))
        {
            errors.Add("--state-dir must not be empty");
        }

        return errors;
    }
}
