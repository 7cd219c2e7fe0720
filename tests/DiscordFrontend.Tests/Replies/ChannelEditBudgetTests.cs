using Engram.DiscordFrontend.Replies;
using Microsoft.Extensions.Time.Testing;

namespace Engram.DiscordFrontend.Tests.Replies;

public sealed class ChannelEditBudgetTests
{
    [Fact]
    public async Task AChannelsBudget_IsSharedByItsReplies_OtherChannelsAreUnaffected()
    {
        var time = new FakeTimeProvider();
        var budget = new ChannelEditBudget(operations: 2, TimeSpan.FromSeconds(5), time);

        await budget.TakeAsync(1, CancellationToken.None);
        await budget.TakeAsync(1, CancellationToken.None);
        var third = budget.TakeAsync(1, CancellationToken.None);
        await budget.TakeAsync(2, CancellationToken.None); // another channel goes at once

        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await third.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
