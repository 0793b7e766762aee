using System.Globalization;
using TensorFusion.Gpu.Devices;

namespace TensorFusion.Host.Local;

/// <summary>
/// A fault a local-mode user asks a simulated GPU to have, with <c>kubectl annotate gpu NAME
/// tensor-fusion.ai/simulate-fault=VALUE</c>: <c>xid-N</c> (a critical Xid N, e.g. xid-79 "fallen off the bus" or xid-48
/// "double-bit ECC"), <c>lost</c> (gone from the bus) or <c>reset-required</c> (needs a GPU reset; the driver then
/// reports it lost). Removing the annotation, or <c>none</c>, heals the GPU.
/// </summary>
public sealed record SimulatedFault(DeviceHealth Health, int Xid)
{
    /// <summary>The annotation; honoured by `tensorfusion local` only, never by a real agent.</summary>
    public const string Annotation = "tensor-fusion.ai/simulate-fault";

    public static SimulatedFault Healthy { get; } = new(DeviceHealth.Healthy, 0);

    /// <summary>Parses the annotation's value; null value means healthy. Returns false with a message for anything else.</summary>
    public static bool TryParse(string? value, out SimulatedFault fault, out string? error)
    {
        fault = Healthy;
        error = null;
        var text = value?.Trim().ToLowerInvariant();
        switch (text)
        {
            case null or "" or "none":
                return true;
            case "lost" or "reset-required":
                fault = new SimulatedFault(DeviceHealth.Lost, 0);
                return true;
        }

        if (text.StartsWith("xid-", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var xid) && xid is > 0 and < 1000)
        {
            fault = new SimulatedFault(DeviceHealth.XidCritical, xid);
            return true;
        }

        error = $"{Annotation}=\"{value}\" is not a fault: use xid-<1-999> (e.g. xid-79), lost, reset-required, or none";
        return false;
    }
}
