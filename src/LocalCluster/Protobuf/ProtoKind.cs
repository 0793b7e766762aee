namespace TensorFusion.LocalCluster.Protobuf;

/// <summary>How one protobuf field of a Kubernetes type turns into JSON.</summary>
public enum ProtoKind
{
    /// <summary>UTF-8 text.</summary>
    Text,

    /// <summary>Raw bytes, written as base64 (how Kubernetes JSON carries []byte).</summary>
    Bytes,

    /// <summary>A varint read as a signed 64-bit number (int32 and int64 fields alike).</summary>
    Number,

    Boolean,

    /// <summary>A nested message with its own <see cref="ProtoMessage"/>.</summary>
    Message,

    /// <summary>map&lt;string,string&gt;: repeated entries {1: key, 2: value}.</summary>
    StringMap,

    /// <summary>map&lt;string,bytes&gt;: values written as base64.</summary>
    BytesMap,

    /// <summary>meta/v1 Time {1: seconds, 2: nanos}, written as an RFC 3339 timestamp.</summary>
    Time,

    /// <summary>util/intstr IntOrString {1: type, 2: intVal, 3: strVal}.</summary>
    IntOrString,

    /// <summary>Known and deliberately dropped (server-owned, such as managedFields or status on create).</summary>
    Ignored,
}
