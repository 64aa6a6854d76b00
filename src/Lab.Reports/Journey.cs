namespace Lab.Reports;

/// <summary>
/// The report's step-through ("follow one trade"): a few items (trades, payments, vouchers) of the same seed
/// followed through their lives in every variant, side by side on one time axis. The first journey is the default
/// pick (e.g. a trade that shows the weekend effect).
/// </summary>
/// <param name="Noun">What is followed, singular ("trade").</param>
/// <param name="Zone">The calendar's time zone the local times are written in (e.g. "America/New_York").</param>
/// <param name="Institutions">Every institution a step can name, in the order the report lists them.</param>
public sealed record JourneySet(string Noun, string Zone, IReadOnlyList<string> Institutions, IReadOnlyList<Journey> Journeys);

/// <param name="Title">e.g. "Trade 1,204: broker 3 buys from broker 9".</param>
/// <param name="Note">Why this one is worth following (e.g. "executed on a Friday afternoon"); may be empty.</param>
public sealed record Journey(string Title, string Note, IReadOnlyList<JourneyLane> Lanes);

/// <summary>The item's life in one variant.</summary>
public sealed record JourneyLane(string Variant, IReadOnlyList<JourneyStep> Steps);

/// <summary>One step: virtual seconds since the run started, the local date and time it happened, what happened and
/// which institutions acted (names from <see cref="JourneySet.Institutions"/>).</summary>
public sealed record JourneyStep(double AtSeconds, string Local, string What, IReadOnlyList<string> Who);
