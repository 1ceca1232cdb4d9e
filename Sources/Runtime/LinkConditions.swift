/// How the in-memory network treats datagrams on one directed link: a fixed delay, a random
/// extra delay drawn uniformly from `0...jitter`, and a probability of losing each datagram.
/// All milliseconds. Randomness comes from the network's seeded generator, so a seed replays
/// the same losses and delays.
public struct LinkConditions: Hashable, Sendable {
    public var delay: Int64
    public var jitter: Int64
    /// 0 never loses, 1 loses everything.
    public var lossProbability: Double

    public init(delay: Int64 = 0, jitter: Int64 = 0, lossProbability: Double = 0) {
        self.delay = delay
        self.jitter = jitter
        self.lossProbability = lossProbability
    }

    /// Instant delivery, nothing lost.
    public static let perfect = LinkConditions()
}
