namespace Engram.TestSupport;

/// <summary>Every wait in a test is bounded, so a regression fails with a message instead of hanging CI.</summary>
public static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static async Task<T> WithTimeout<T>(this Task<T> task, TimeSpan? timeout = null,
        [System.Runtime.CompilerServices.CallerFilePath] string file = "", [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
    {
        var limit = timeout ?? Default;
        var finished = await Task.WhenAny(task, Task.Delay(limit));
        if (finished != task)
        {
            throw new TimeoutException($"timed out after {limit} at {Path.GetFileName(file)}:{line}");
        }
        return await task;
    }

    public static async Task WithTimeout(this Task task, TimeSpan? timeout = null,
        [System.Runtime.CompilerServices.CallerFilePath] string file = "", [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
    {
        var limit = timeout ?? Default;
        var finished = await Task.WhenAny(task, Task.Delay(limit));
        if (finished != task)
        {
            throw new TimeoutException($"timed out after {limit} at {Path.GetFileName(file)}:{line}");
        }
        await task;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> when it never does.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Default);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"never happened within {timeout ?? Default}: {what}");
    }
}
