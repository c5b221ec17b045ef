using Inpaint.Hosting;
using Inpaint.Server;
using Microsoft.Extensions.Options;

// `dotnet run --project src/OnnxInpaint.Server` serves the shipped model and the page on http://localhost:5080.
try
{
    await InpaintServer.Build(args).RunAsync();
    return 0;
}
catch (Exception e) when (e is UserError or FileNotFoundException or InvalidDataException or InvalidOperationException or OptionsValidationException)
{
    // Found at start-up, before any request: no model, a model that cannot load, CUDA required but unusable, or a
    // setting out of range. One line, no stack trace.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
{
    // Settings out of range in several sections: every problem, one line each.
    foreach (Exception inner in e.InnerExceptions) Console.Error.WriteLine($"error: {inner.Message}");
    return 1;
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
