using System.Collections.Concurrent;
using Engram.Inference.Engine;

namespace Engram.Inference.Backends.Rkllm;

/// <summary>
/// The one thread that makes this model's blocking runtime calls (init, run, destroy). rkllm_run blocks for
/// a whole generation; on a pool thread that would starve the pool, and the runtime is not known to be
/// safe to enter from several threads. Named so it is recognisable in a thread dump.
/// </summary>
internal sealed class RkllmWorkerThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public RkllmWorkerThread(string model)
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = $"engram-rkllm-{model}" };
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
