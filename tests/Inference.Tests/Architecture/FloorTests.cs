using System.Text.RegularExpressions;
using Engram.Inference.Engine;
using Engram.TestSupport;

namespace Engram.Inference.Tests.Architecture;

/// <summary>
/// Engram.Inference's floors run one way: Engine depends on nothing else in the library (it owns its ports);
/// Backends and Validation on Engine; Health on Engine and Validation; Lifecycle composes them all. The library
/// knows nothing of the daemon program, gRPC or ASP.NET Core.
/// </summary>
public sealed partial class FloorTests
{
    private static readonly string Source = Path.Combine(RepositoryLayout.Root, "src", "Inference");

    public static TheoryData<string, string[]> Floors => new()
    {
        { "Engine", [] },
        { "Backends", ["Engine"] },
        { "Validation", ["Engine"] },
        { "Health", ["Engine", "Validation"] },
    };

    [Theory]
    [MemberData(nameof(Floors))]
    public void Floor_ReferencesOnlyTheFloorsBelowIt(string floor, string[] allowed)
    {
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Source, floor), "*.cs", SearchOption.AllDirectories))
        {
            foreach (Match reference in SiblingNamespace().Matches(File.ReadAllText(file)))
            {
                var target = reference.Groups["floor"].Value;
                if (target != floor && !allowed.Contains(target))
                {
                    violations.Add($"{Path.GetRelativePath(Source, file)} uses Engram.Inference.{target}");
                }
            }
        }

        Assert.Empty(violations);
    }

    [Fact]
    public void Library_KnowsNothingOfTheProgramOrTheTransport()
    {
        var references = typeof(GenerationEngine).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        Assert.DoesNotContain(references, name => name == "engram-daemon" || name == "Engram.Contract" || name == "Engram.DaemonClient"
            || name.StartsWith("Grpc", StringComparison.Ordinal) || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"Engram\.Inference\.(?<floor>Engine|Backends|Validation|Health|Lifecycle)\b")]
    private static partial Regex SiblingNamespace();
}
