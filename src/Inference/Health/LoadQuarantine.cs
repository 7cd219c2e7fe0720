using System.Text.Json;

namespace Engram.Inference.Health;

/// <summary>A model file that crashed the native loader: which profile, which file, how the process died, when.</summary>
public sealed record QuarantinedModel(string Model, ModelFileIdentity File, string Signal, DateTimeOffset CrashedAt);

/// <summary>
/// Model files that crashed the daemon while loading, kept in the state directory so the next start does not
/// load them again (no crash loop). An entry lifts when its file changes (path, size or modification time) or
/// when the operator clears it (<c>engram-daemon clear-quarantine</c>).
/// </summary>
public sealed class LoadQuarantine(string stateDirectory)
{
    public const string FileName = "quarantine.json";
    private readonly Lock _lock = new();

    private string PathOf => Path.Combine(stateDirectory, FileName);

    public IReadOnlyList<QuarantinedModel> Entries
    {
        get
        {
            lock (_lock)
            {
                return Read();
            }
        }
    }

    public void Add(QuarantinedModel entry)
    {
        lock (_lock)
        {
            Write(Read().Where(e => e.Model != entry.Model).Append(entry).ToArray());
        }
    }

    /// <summary>
    /// The entry for <paramref name="model"/> if its file is still the one that crashed. An entry whose file has
    /// changed since is removed (lifted) and <paramref name="lifted"/> says so.
    /// </summary>
    public QuarantinedModel? Find(string model, string currentPath, out QuarantinedModel? lifted)
    {
        lifted = null;
        lock (_lock)
        {
            var entries = Read();
            if (entries.FirstOrDefault(e => e.Model == model) is not { } entry)
            {
                return null;
            }
            if (ModelFileIdentity.Of(currentPath) == entry.File)
            {
                return entry;
            }
            lifted = entry;
            Write(entries.Where(e => e.Model != model).ToArray());
            return null;
        }
    }

    /// <summary>Lifts the quarantine of one model, or of all when <paramref name="model"/> is null; returns what was lifted.</summary>
    public IReadOnlyList<QuarantinedModel> Clear(string? model = null)
    {
        lock (_lock)
        {
            var entries = Read();
            var cleared = entries.Where(e => model is null || e.Model.Equals(model, StringComparison.OrdinalIgnoreCase)).ToArray();
            Write(entries.Except(cleared).ToArray());
            return cleared;
        }
    }

    private QuarantinedModel[] Read()
    {
        try
        {
            return File.Exists(PathOf) ? JsonSerializer.Deserialize(File.ReadAllText(PathOf), HealthStateJson.Default.QuarantinedModelArray) ?? [] : [];
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return [];
        }
    }

    private void Write(QuarantinedModel[] entries)
    {
        Directory.CreateDirectory(stateDirectory);
        if (entries.Length == 0)
        {
            File.Delete(PathOf);
            return;
        }
        var temporary = PathOf + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(entries, HealthStateJson.Indented.QuarantinedModelArray));
        File.Move(temporary, PathOf, overwrite: true);
    }
}
