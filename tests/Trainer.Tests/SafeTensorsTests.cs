using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Inpaint.Models.Checkpoints;
using Inpaint.Trainer.Checkpoints;
using static TorchSharp.torch;

namespace Inpaint.Trainer.Tests;

public class SafeTensorsTests
{
    [Fact]
    public void RoundTripKeepsValuesDtypesAndMetadata()
    {
        string path = Path.GetTempFileName();
        try
        {
            using Tensor a = randn(3, 4), b = arange(5, dtype: ScalarType.Int64), c = randn(2, 2).to(ScalarType.Float16);
            using (var stream = File.Create(path))
                SafeTensors.Write(stream, [("a", a), ("b", b), ("c", c)], new Dictionary<string, string> { ["k"] = "v" });
            var (tensors, metadata) = SafeTensors.Read(path);
            Assert.Equal("v", metadata["k"]);
            Assert.True(tensors["a"].equal(a).all().item<bool>());
            Assert.True(tensors["b"].equal(b).all().item<bool>());
            Assert.Equal(ScalarType.Float16, tensors["c"].dtype);
            foreach (var t in tensors.Values) t.Dispose();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void HeaderFollowsTheFormat()
    {
        string path = Path.GetTempFileName();
        try
        {
            using Tensor a = ones(2, 3);
            using (var stream = File.Create(path))
                SafeTensors.Write(stream, [("w", a)], new Dictionary<string, string>());
            byte[] bytes = File.ReadAllBytes(path);
            long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            Assert.Equal(0, n % 8);
            var header = JsonNode.Parse(bytes.AsSpan(8, (int)n).ToArray())!.AsObject();
            Assert.Equal("F32", header["w"]!["dtype"]!.GetValue<string>());
            Assert.Equal(24, header["w"]!["data_offsets"]![1]!.GetValue<long>());
            Assert.Equal(8 + n + 24, bytes.Length);
            Assert.Equal(1f, BitConverter.ToSingle(bytes, (int)(8 + n)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TruncatedAndForeignFilesAreRefused()
    {
        string path = Path.GetTempFileName();
        try
        {
            using Tensor a = ones(100);
            using (var stream = File.Create(path))
                SafeTensors.Write(stream, [("w", a)], new Dictionary<string, string>());
            byte[] bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..^10]);
            Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path)).Message);
            File.WriteAllText(path, "hello, I am not a checkpoint");
            Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
