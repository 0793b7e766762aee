using System.Text;
using CsCheck;
using TensorFusion.LocalCluster.Http;
using TensorFusion.LocalCluster.Protobuf;

namespace TensorFusion.LocalCluster.Tests.Protobuf;

public sealed class KubernetesProtobufTests
{
    [Fact]
    public void Decode_ConfigMapAsKubectlSendsIt_GivesJsonWithoutEmptyFields()
    {
        // What `kubectl create configmap x --from-literal=a=b` sends: every ObjectMeta string written, most of them empty.
        var metadata = Concat(Text(1, "x"), Text(2, ""), Text(3, ""), Varint(7, 0), Bytes(8, []));
        var body = Envelope("v1", "ConfigMap", Concat(Bytes(1, metadata), Bytes(2, Concat(Text(1, "a"), Text(2, "b")))));

        var decoded = KubernetesProtobuf.Decode(body);

        Assert.Equal("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"a":"b"}}""", decoded.ToJsonString());
    }

    [Fact]
    public void Decode_SecretData_IsBase64LikeKubernetesJson()
    {
        // "v" is 0x76, base64 "dg==".
        var body = Envelope("v1", "Secret", Concat(Bytes(1, Text(1, "s")), Bytes(2, Concat(Text(1, "k"), Text(2, "v"))), Text(3, "Opaque")));

        var decoded = KubernetesProtobuf.Decode(body);

        Assert.Equal("dg==", decoded["data"]!["k"]!.ToString());
        Assert.Equal("Opaque", decoded["type"]!.ToString());
    }

    [Fact]
    public void Decode_ServicePortTargetPortByName_IsAString()
    {
        // IntOrString {type: 1 (string), strVal: "web"}; port 81 as a varint.
        var port = Concat(Text(1, "http"), Text(2, "TCP"), Varint(3, 81), Bytes(4, Concat(Varint(1, 1), Text(3, "web"))));
        var body = Envelope("v1", "Service", Concat(Bytes(1, Text(1, "svc")), Bytes(2, Concat(Bytes(1, port), Text(4, "ClusterIP")))));

        var decoded = KubernetesProtobuf.Decode(body);

        Assert.Equal("""[{"name":"http","protocol":"TCP","port":81,"targetPort":"web"}]""", decoded["spec"]!["ports"]!.ToJsonString());
    }

    [Fact]
    public void Decode_KindWithoutShape_Answers415NamingTheKinds()
    {
        var body = Envelope("apps/v1", "StatefulSet", Bytes(1, Text(1, "d")));

        var failure = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body));

        Assert.Equal(415, failure.Code);
        Assert.Contains("ConfigMap", failure.Message, StringComparison.Ordinal);
        Assert.Contains("got StatefulSet", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_DeploymentAsKubectlCreateSendsIt_ReplicasSelectorAndContainer()
    {
        // kubectl create deployment web --image=nginx: spec {1 replicas, 2 selector {1 matchLabels}, 3 template {1 metadata, 2 spec {2 containers}}}.
        var labels = Bytes(11, Concat(Text(1, "app"), Text(2, "web")));
        var template = Concat(Bytes(1, labels), Bytes(2, Bytes(2, Concat(Text(1, "nginx"), Text(2, "nginx")))));
        var spec = Concat(Varint(1, 2), Bytes(2, Bytes(1, Concat(Text(1, "app"), Text(2, "web")))), Bytes(3, template), Bytes(4, []));
        var body = Envelope("apps/v1", "Deployment", Concat(Bytes(1, Text(1, "web")), Bytes(2, spec)));

        var decoded = KubernetesProtobuf.Decode(body);

        Assert.Equal(2, decoded["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal("web", decoded["spec"]!["selector"]!["matchLabels"]!["app"]!.GetValue<string>());
        Assert.Equal("""[{"name":"nginx","image":"nginx"}]""", decoded["spec"]!["template"]!["spec"]!["containers"]!.ToJsonString());
    }

    [Fact]
    public void Decode_UnknownFieldWithContent_IsRefusedNotDropped()
    {
        var body = Envelope("v1", "ConfigMap", Concat(Bytes(1, Text(1, "x")), Text(9, "surprise")));

        var failure = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body));

        Assert.Equal(415, failure.Code);
        Assert.Contains("field 9 of ConfigMap", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TruncatedBody_Answers400()
    {
        var body = Envelope("v1", "ConfigMap", Bytes(1, Text(1, "x")));

        var failure = Assert.Throws<ApiException>(() => KubernetesProtobuf.Decode(body.AsSpan(0, body.Length - 3)));

        Assert.Equal(400, failure.Code);
        Assert.Contains("malformed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RandomBytesAfterMagic_OnlyEverFailsWithAStatus()
    {
        Gen.Byte.Array[0, 64].Sample(noise =>
        {
            try
            {
                KubernetesProtobuf.Decode(Concat("k8s\0"u8.ToArray(), noise));
            }
            catch (ApiException failure)
            {
                Assert.True(failure.Code is 400 or 415, failure.Message);
            }
        }, iter: 2000);
    }

    private static byte[] Envelope(string apiVersion, string kind, byte[] raw) =>
        Concat("k8s\0"u8.ToArray(), Bytes(1, Concat(Text(1, apiVersion), Text(2, kind))), Bytes(2, raw), Text(3, ""), Text(4, ""));

    private static byte[] Text(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    private static byte[] Bytes(int field, byte[] value) => Concat(Key(field, 2), Encode((ulong)value.Length), value);

    private static byte[] Varint(int field, ulong value) => Concat(Key(field, 0), Encode(value));

    private static byte[] Key(int field, int wireType) => Encode((ulong)((field << 3) | wireType));

    private static byte[] Encode(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var next = (byte)(value & 0x7f);
            value >>= 7;
            bytes.Add(value == 0 ? next : (byte)(next | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(part => part)];
}
