using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Artifacts;

/// <summary>The artifact's facts, and its failure when it has one.</summary>
public sealed record ArtifactReport(ArtifactFacts? Facts, ModelFailure? Failure)
{
    public bool IsValid => Failure is null;

    public static ArtifactReport Failed(string kind, string detail, string remedy) =>
        new(null, new ModelFailure(FailureClass.Artifact, kind, detail, remedy));
}
