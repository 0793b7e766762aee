using System.Diagnostics.CodeAnalysis;

// The verb is `operator`; the namespace follows the folder. No VB consumer will ever import it.
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace", Target = "~N:TensorFusion.Host.Operator", Justification = "Named after the `tensorfusion operator` verb.")]
