using Microsoft.Extensions.Options;

namespace Engram.InferenceDaemon.Hosting;

// The [Range] attributes declared on the options, checked by code generated at compile time: the daemon ships as a
// native AOT binary, where DataAnnotations' reflection-based validator cannot see the attributes.

/// <summary>The ranges declared on <see cref="DaemonOptions"/> itself and its pressure thresholds (not its profiles).</summary>
[OptionsValidator]
internal sealed partial class DaemonOptionRanges : IValidateOptions<DaemonOptions>;

/// <summary>The ranges declared on <see cref="ProfileOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class ProfileOptionRanges : IValidateOptions<ProfileOptions>;
