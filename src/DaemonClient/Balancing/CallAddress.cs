namespace Engram.DaemonClient.Balancing;

/// <summary>
/// Tells a call which daemon address the balancer picked for it: the caller opens a slot, the picker's call
/// tracker (running in the call's flow) fills it in, and the caller charges the outcome to that address.
/// </summary>
internal static class CallAddress
{
    private static readonly AsyncLocal<Slot?> Current = new();

    public static Slot Begin() => Current.Value = new Slot();

    public static void Report(string address)
    {
        if (Current.Value is { } slot)
        {
            slot.Address = address;
        }
    }

    public sealed class Slot
    {
        public string? Address { get; set; }
    }
}
