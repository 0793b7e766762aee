namespace TensorFusion.LocalCluster.Protobuf;

/// <summary>
/// Reads the protobuf wire format: a key (field number and wire type) followed by a varint, a length-delimited
/// payload, or a fixed 32/64-bit value. Any truncation or impossible encoding is a <see cref="FormatException"/>.
/// </summary>
public ref struct WireReader(ReadOnlySpan<byte> bytes)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;

    public readonly bool AtEnd => _position >= _bytes.Length;

    /// <summary>The next field's number and wire type.</summary>
    public (int Field, int WireType) ReadKey()
    {
        var key = ReadVarint();
        var field = key >> 3;
        if (field is 0 or > int.MaxValue)
        {
            throw new FormatException($"invalid protobuf field number {field} at byte {_position}");
        }

        return ((int)field, (int)(key & 7));
    }

    /// <summary>A base-128 varint (at most 10 bytes, as for a 64-bit value).</summary>
    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _bytes.Length)
            {
                throw new FormatException("the protobuf body ends inside a varint");
            }

            var next = _bytes[_position++];
            value |= (ulong)(next & 0x7f) << shift;
            if (next < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("a protobuf varint is longer than 10 bytes");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_bytes.Length - _position))
        {
            throw new FormatException($"a protobuf field claims {length} bytes but only {_bytes.Length - _position} remain");
        }

        var payload = _bytes.Slice(_position, (int)length);
        _position += (int)length;
        return payload;
    }

    /// <summary>Skips a value of <paramref name="wireType"/> (groups, long deprecated, are refused).</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case LengthDelimited:
                ReadLengthDelimited();
                break;
            case Fixed64:
                Advance(8);
                break;
            case Fixed32:
                Advance(4);
                break;
            default:
                throw new FormatException($"unsupported protobuf wire type {wireType}");
        }
    }

    private void Advance(int count)
    {
        if (_bytes.Length - _position < count)
        {
            throw new FormatException("the protobuf body ends inside a fixed-width value");
        }

        _position += count;
    }
}
