using Google.Protobuf;
using Onnx;

namespace Inpaint.Exporter.Onnx;

/// <summary>
/// A thin helper over ONNX's protobuf classes: adds nodes with unique output names and initialisers stored as
/// raw little-endian data (float32, or float16 followed by a Cast when asked).
/// </summary>
public sealed class GraphBuilder
{
    private readonly GraphBuilder? parent;
    private int counter;

    /// <summary>Starts an empty graph.</summary>
    public GraphBuilder(string name, bool halfPrecisionWeights = false)
    {
        Graph = new GraphProto { Name = name };
        HalfPrecisionWeights = halfPrecisionWeights;
    }

    private GraphBuilder(string name, GraphBuilder parent) : this(name, parent.HalfPrecisionWeights) => this.parent = parent;

    /// <summary>
    /// A subgraph (a branch of an <c>If</c>): its nodes may read the outer graph's values, and its names are fresh across
    /// both, as ONNX requires.
    /// </summary>
    public GraphBuilder Branch(string name) => new(name, this);

    /// <summary>A graph attribute (an <c>If</c>'s branch).</summary>
    public static AttributeProto GraphAttribute(string name, GraphProto graph) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = graph };

    /// <summary>The graph being built.</summary>
    public GraphProto Graph { get; }

    /// <summary>Whether <see cref="Weight"/> stores float16 and casts to float32 in the graph.</summary>
    public bool HalfPrecisionWeights { get; }

    /// <summary>A name not used before (in this graph and the graphs it belongs to), with a readable prefix.</summary>
    public string Fresh(string prefix) => parent is not null ? parent.Fresh(prefix) : $"{prefix}_{counter++}";

    /// <summary>Adds a float32 input or output description; a null dimension is dynamic with the given name.</summary>
    public static ValueInfoProto TensorInfo(string name, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (object d in dims)
            shape.Dim.Add(d is string param ? new TensorShapeProto.Types.Dimension { DimParam = param }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture) });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>Adds a node and returns its (first) output name.</summary>
    public string Node(string op, IEnumerable<string> inputs, IEnumerable<AttributeProto>? attributes = null, string? output = null, string? name = null)
    {
        output ??= Fresh(op.ToLowerInvariant());
        var node = new NodeProto { OpType = op, Name = name ?? Fresh(op) };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        if (attributes is not null) node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>The contract's hole test: <c>mask &gt;= threshold</c>, a bool tensor named <c>hole</c>.</summary>
    public string Holes(string mask) =>
        Node("GreaterOrEqual", [mask, Constant("mask_threshold", [ContractNames.MaskThreshold])], output: "hole");

    /// <summary><see cref="PixelNormalisation"/> in the graph: <c>image / 127.5 - 1</c>.</summary>
    public string Normalise(string image, string output) =>
        Node("Sub", [Node("Div", [image, Constant("half_range", [PixelNormalisation.HalfRange])]), Constant("one", [1f])], output: output);

    /// <summary>Network values back to 0..255, clipped.</summary>
    public string ToPixels(string values, string output)
    {
        string scaled = Node("Mul", [Node("Add", [values, Constant("one", [1f])]), Constant("half_range", [PixelNormalisation.HalfRange])]);
        return Node("Clip", [scaled, Constant("zero", [0f]), Constant("full_range", [PixelNormalisation.FullRange])], output: output);
    }

    /// <summary>Adds a float32 constant (kept float32 whatever the weight precision: it is tiny).</summary>
    public string Constant(string prefix, float[] values, params long[] dims)
    {
        string name = Fresh(prefix);
        Graph.Initializer.Add(FloatTensor(name, values, dims));
        return name;
    }

    /// <summary>Adds an int64 constant (shapes, pads).</summary>
    public string Int64Constant(string prefix, long[] values, params long[] dims)
    {
        string name = Fresh(prefix);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.AddRange(dims);
        byte[] raw = new byte[values.Length * 8];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        t.RawData = ByteString.CopyFrom(raw);
        Graph.Initializer.Add(t);
        return name;
    }

    /// <summary>
    /// Adds a learned weight; with <see cref="HalfPrecisionWeights"/> it is stored as float16 and a Cast to float32
    /// follows (ONNX Runtime folds it once when the session loads).
    /// </summary>
    public string Weight(string name, float[] values, params long[] dims)
    {
        if (!HalfPrecisionWeights)
        {
            Graph.Initializer.Add(FloatTensor(name, values, dims));
            return name;
        }
        string stored = name + "_fp16";
        var t = new TensorProto { Name = stored, DataType = (int)TensorProto.Types.DataType.Float16 };
        t.Dims.AddRange(dims);
        byte[] raw = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
            BitConverter.TryWriteBytes(raw.AsSpan(2 * i), BitConverter.HalfToUInt16Bits((Half)values[i]));
        t.RawData = ByteString.CopyFrom(raw);
        Graph.Initializer.Add(t);
        return Node("Cast", [stored], [Int("to", (long)TensorProto.Types.DataType.Float)], output: name);
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    internal static TensorProto FloatTensor(string name, float[] values, params long[] dims)
    {
        if (dims.Aggregate(1L, (a, b) => a * b) != values.Length)
            throw new ArgumentException($"initialiser '{name}': {values.Length} values do not fill [{string.Join(",", dims)}]");
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        byte[] raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        t.RawData = ByteString.CopyFrom(raw);
        return t;
    }
}
