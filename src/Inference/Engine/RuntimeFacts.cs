namespace Engram.Inference.Engine;

/// <summary>
/// What a native runtime said about itself and the model when it loaded it (RKLLM prints these at init):
/// the authoritative word on the file, checked against the board after the load.
/// </summary>
public sealed record RuntimeFacts(string? RuntimeVersion, string? DriverVersion, string? TargetPlatform, string? Dtype);
