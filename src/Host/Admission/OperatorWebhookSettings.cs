using System.Net;
using TensorFusion.Pipelines.Admission;

namespace TensorFusion.Host.Admission;

/// <summary>How the operator serves the pod webhook: where, for which names, and whose caBundle it keeps current.</summary>
/// <param name="Endpoint">The HTTPS listen address (all interfaces in a cluster, 127.0.0.1 in local mode).</param>
/// <param name="CertificateNames">DNS names and IPs the serving certificate is valid for (the Service's names, or 127.0.0.1).</param>
/// <param name="ConfigurationName">The MutatingWebhookConfiguration whose caBundle is published.</param>
/// <param name="Admission">What admission converts (native GPU auto-migration).</param>
public sealed record OperatorWebhookSettings(IPEndPoint Endpoint, IReadOnlyList<string> CertificateNames, string ConfigurationName, PodAdmissionOptions Admission);
