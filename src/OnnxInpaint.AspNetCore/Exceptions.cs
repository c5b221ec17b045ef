namespace Inpaint.OnnxInpaint.AspNetCore;

/// <summary>A model call failed (not the caller's input: a fault of the model, the runtime or the device).</summary>
public sealed class InpaintModelException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The service is at capacity: <see cref="InpaintingOptions.MaxConcurrentRepairs"/> repairs run and
/// <see cref="InpaintingOptions.QueueLength"/> wait. Try again later (HTTP 503 with Retry-After).
/// </summary>
public sealed class InpaintingQueueFullException(string message) : Exception(message);
