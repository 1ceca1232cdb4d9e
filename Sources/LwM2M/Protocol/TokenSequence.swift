import CoAP

/// Hands out request tokens: 4 bytes from a counter mixed with a per-machine seed, so two
/// machines (or a machine after restart) do not collide while tests stay deterministic.
/// Tokens identify LwM2M requests end to end: a response, a notification or an exchange
/// failure is matched back to its request by token.
public struct TokenSequence: Hashable, Sendable {
    private var counter: UInt32
    private let seed: UInt32

    public init(seed: UInt32 = 0x4C57_4D32) {
        self.seed = seed
        self.counter = 0
    }

    public mutating func next() -> Token {
        counter &+= 1
        // A multiplicative scramble (odd constant: a bijection on UInt32) keeps tokens distinct.
        let v = (counter &* 0x9E37_79B1) ^ seed
        return Token(packed: UInt64(v), count: 4)
    }
}
