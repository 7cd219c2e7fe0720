using System.Text;

namespace Engram.Inference.Backends.Rkllm.Native;

/// <summary>
/// Runs a native call with the process's stdout and stderr redirected into a pipe, and returns what was
/// printed. The RKLLM runtime reports its version, the model's target platform and dtype, and its errors
/// only as log lines, so this is how validation gets them. A reader thread drains the pipe during the call
/// so a chatty runtime can never block on a full pipe.
/// </summary>
internal static unsafe class StdioCapture
{
    public static (T Result, string Output) Run<T>(Func<T> call)
    {
        var fds = stackalloc int[2];
        if (Libc.Pipe(fds) != 0)
        {
            return (call(), "");
        }
        int readEnd = fds[0], writeEnd = fds[1];
        Libc.Fflush(0);
        var savedOut = Libc.Dup(1);
        var savedErr = Libc.Dup(2);
        var output = new MemoryStream();
        var reader = new Thread(() => Drain(readEnd, output)) { IsBackground = true, Name = "engram-rkllm-log" };
        reader.Start();
        Libc.Dup2(writeEnd, 1);
        Libc.Dup2(writeEnd, 2);
        try
        {
            return (call(), Finish());
        }
        catch
        {
            Finish();
            throw;
        }

        string Finish()
        {
            Libc.Fflush(0);
            Libc.Dup2(savedOut, 1);
            Libc.Dup2(savedErr, 2);
            Libc.Close(savedOut);
            Libc.Close(savedErr);
            Libc.Close(writeEnd); // the reader sees end of file once every copy of the write end is closed
            reader.Join();
            Libc.Close(readEnd);
            lock (output)
            {
                return Encoding.UTF8.GetString(output.ToArray());
            }
        }
    }

    private static void Drain(int fd, MemoryStream output)
    {
        var buffer = new byte[4096];
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = Libc.Read(fd, p, buffer.Length);
                if (n <= 0)
                {
                    return;
                }
                lock (output)
                {
                    output.Write(buffer, 0, (int)n);
                }
            }
        }
    }
}
