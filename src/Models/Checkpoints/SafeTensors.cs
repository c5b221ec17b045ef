using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Inpaint.Models.Checkpoints;

/// <summary>
/// Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header with
/// dtype, shape and byte offsets for each tensor plus a string map <c>__metadata__</c>, then the raw
/// little-endian data), so Python's <c>safetensors</c> and <c>transformers</c> tools read our checkpoints.
/// </summary>
public static class SafeTensors
{
    /// <summary>The largest header we accept (the format's own reference limit is 100 MB).</summary>
    private const long MaxHeaderBytes = 100_000_000;

    /// <summary>Writes <paramref name="tensors"/> (copied to the CPU, in the order given) and the metadata.</summary>
    public static void Write(Stream stream, IReadOnlyList<(string Name, Tensor Tensor)> tensors,
        IReadOnlyDictionary<string, string> metadata)
    {
        var header = new JsonObject();
        var meta = new JsonObject();
        foreach (var (key, value) in metadata) meta[key] = value;
        header["__metadata__"] = meta;

        var contiguous = new List<Tensor>(tensors.Count);
        try
        {
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                Tensor t = tensor.detach().cpu().contiguous();
                contiguous.Add(t);
                long size = t.NumberOfElements * t.ElementSize;
                header[name] = new JsonObject
                {
                    ["dtype"] = DTypeName(t.dtype),
                    ["shape"] = new JsonArray(t.shape.Select(d => (JsonNode)d).ToArray()),
                    ["data_offsets"] = new JsonArray(offset, offset + size),
                };
                offset += size;
            }

            byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
            int padded = (json.Length + 7) / 8 * 8; // align the data to 8 bytes, padding with spaces
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (Tensor t in contiguous) stream.Write(t.bytes);
        }
        finally
        {
            foreach (Tensor t in contiguous) t.Dispose();
        }
    }

    /// <summary>Reads only the metadata of a safetensors file.</summary>
    /// <exception cref="InvalidDataException">Not a safetensors file.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return ParseMetadata(ReadHeader(stream, stream.Length));
    }

    /// <summary>Reads every tensor and the metadata.</summary>
    /// <exception cref="InvalidDataException">The file is truncated or its header is malformed.</exception>
    public static (Dictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        using FileStream stream = File.OpenRead(path);
        JsonObject header = ReadHeader(stream, stream.Length);
        long dataStart = stream.Position;
        long dataLength = stream.Length - dataStart;
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == "__metadata__") continue;
                if (node is not JsonObject entry) throw new InvalidDataException($"tensor '{name}' has no description");
                ScalarType dtype = ParseDType(entry["dtype"]?.GetValue<string>(), name);
                long[] shape = entry["shape"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray()
                    ?? throw new InvalidDataException($"tensor '{name}' has no shape");
                JsonArray offsets = entry["data_offsets"]?.AsArray() ?? throw new InvalidDataException($"tensor '{name}' has no data offsets");
                long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
                Tensor t = empty(shape, dtype);
                tensors[name] = t;
                long expected = t.NumberOfElements * t.ElementSize;
                if (begin < 0 || end > dataLength || end - begin != expected)
                    throw new InvalidDataException($"tensor '{name}' lies outside the file or has the wrong size (file truncated?)");
                stream.Position = dataStart + begin;
                stream.ReadExactly(t.bytes);
            }
            return (tensors, ParseMetadata(header));
        }
        catch
        {
            foreach (Tensor t in tensors.Values) t.Dispose();
            throw;
        }
    }

    private static JsonObject ReadHeader(Stream stream, long fileLength)
    {
        Span<byte> length = stackalloc byte[8];
        if (fileLength < 8 || stream.Read(length) != 8) throw new InvalidDataException("the file is too short to be safetensors");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(length);
        if (headerLength == 0 || headerLength > MaxHeaderBytes || (long)headerLength > fileLength - 8)
            throw new InvalidDataException("the file is not safetensors (bad header length) or is truncated");
        byte[] json = new byte[headerLength];
        stream.ReadExactly(json);
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("the safetensors header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the safetensors header is not valid JSON: {e.Message}");
        }
    }

    private static IReadOnlyDictionary<string, string> ParseMetadata(JsonObject header)
    {
        var result = new Dictionary<string, string>();
        if (header["__metadata__"] is JsonObject meta)
            foreach (var (key, value) in meta)
                result[key] = value?.GetValue<string>() ?? "";
        return result;
    }

    private static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Float64 => "F64",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"dtype {type} cannot be stored in safetensors here"),
    };

    private static ScalarType ParseDType(string? name, string tensor) => name switch
    {
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "F64" => ScalarType.Float64,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"tensor '{tensor}' has an unsupported dtype '{name}'"),
    };
}
