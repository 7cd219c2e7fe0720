using System.Collections.Concurrent;
using Engram.Inference.Engine;

namespace Engram.Inference.Backends;

/// <summary>
/// The one thread that makes a loaded model's blocking native calls. A generation blocks its caller for
/// seconds (rkllm_run for a whole reply, llama_decode for every token); on a pool thread that starves the
/// pool, and it changes the calling thread from one request to the next. The engines care which thread calls
/// them: llama.cpp's OpenMP build keeps a team of compute threads per calling thread, so every new caller
/// grows another team beside the cores' real work, and the RKLLM runtime is not known to be safe to enter
/// from several threads. Named so it is recognisable in a thread dump and in <c>perf</c>
/// (Linux keeps the first 15 characters, and the engine's own threads inherit them).
/// </summary>
internal sealed class NativeWorkerThread : IDisposable
{
    /// <summary>The thread for one profile's engine: <c>engram-llama-qwen</c>, <c>engram-rkllm-npu</c>.</summary>
    public static NativeWorkerThread ForEngine(string backend, string profile) => new($"engram-{backend}-{profile}");

    /// <summary>
    /// Whether a thread's Linux name (its first 15 characters) is an engine thread's, or one the engine started:
    /// threads inherit their creator's name, so llama.cpp's compute threads and the RKLLM runtime's carry it too.
    /// </summary>
    public static bool IsEngineThread(string linuxName) =>
        BackendNames.All.Any(backend => linuxName.StartsWith($"engram-{backend}-", StringComparison.Ordinal));

    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public NativeWorkerThread(string name)
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public Task<T> InvokeAsync<T>(Func<T> call)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                completion.SetResult(call());
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
            }
        });
        return completion.Task;
    }

    public Task InvokeAsync(Action call) => InvokeAsync(() =>
    {
        call();
        return true;
    });

    private void Loop()
    {
        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
    }
}
