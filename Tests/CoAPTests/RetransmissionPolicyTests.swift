import Testing
@testable import CoAP

/// The module's deterministic schedule (application note, AT+QLACFG "retransmit") and the
/// randomized RFC 7252 one, in exact milliseconds.
@Suite struct RetransmissionPolicyTests {
    @Test func moduleDefaults() {
        var policy = RetransmissionPolicy.module()
        let s = policy.schedule()
        #expect(s.firstWait == 2000)
        #expect((1...6).map { s.wait(afterTransmission: $0) } == [2000, 4000, 8000, 16000, 32000, 64000])
        #expect(s.transmissionOffsets == [0, 2000, 6000, 14000, 30000, 62000])
        #expect(s.timeoutOffset == 126_000) // 2 + 4 + 8 + 16 + 32 + 64 s
        // Deterministic: every message gets the same schedule.
        #expect(policy.schedule() == s)
    }

    @Test(arguments: [(2, 0, [0] as [Int64], 2000 as Int64),
                      (3, 1, [0, 3000], 9000),
                      (20, 8, [0, 20_000, 60_000, 140_000, 300_000, 620_000, 1_260_000, 2_540_000, 5_100_000],
                       10_220_000)])
    func moduleSettings(_ seconds: Int, _ retransmissions: Int, _ offsets: [Int64], _ timeout: Int64) {
        var policy = RetransmissionPolicy.module(ackTimeoutSeconds: seconds, maxRetransmissions: retransmissions)
        let s = policy.schedule()
        #expect(s.transmissionOffsets == offsets)
        #expect(s.timeoutOffset == timeout)
        #expect(s.maxTransmissions == retransmissions + 1)
    }

    @Test func moduleValuesOutsideTheRangeAreClamped() {
        #expect(RetransmissionPolicy.module(ackTimeoutSeconds: 1, maxRetransmissions: -1)
                == .module(ackTimeoutSeconds: 2, maxRetransmissions: 0))
        #expect(RetransmissionPolicy.module(ackTimeoutSeconds: 99, maxRetransmissions: 9)
                == .module(ackTimeoutSeconds: 20, maxRetransmissions: 8))
        #expect(RetransmissionPolicy.moduleAckTimeoutSeconds == 2...20)
        #expect(RetransmissionPolicy.moduleMaxRetransmissions == 0...8)
    }

    /// The first wait is ACK_TIMEOUT + (next() mod 1001) ms; with seed 0 SplitMix64's first
    /// outputs are the published reference values, so the waits are known exactly.
    @Test func rfc7252FromSeedZero() {
        var policy = RetransmissionPolicy.rfc7252(random: SplitMix64(seed: 0))
        let first = policy.schedule()
        let second = policy.schedule()
        let expectedFirst = 2000 + Int64(0xE220_A839_7B1D_CDAF as UInt64 % 1001)
        let expectedSecond = 2000 + Int64(0x6E78_9E6A_A1B9_65F4 as UInt64 % 1001)
        #expect(first.firstWait == expectedFirst)
        #expect(second.firstWait == expectedSecond)
        #expect(first.maxRetransmissions == 4)
        // Doubling from the drawn wait: MAX_RETRANSMIT 4 gives 5 transmissions, and the
        // exchange ends after (1 + 2 + 4 + 8 + 16) × the first wait.
        #expect(first.transmissionOffsets == [0, 1, 3, 7, 15].map { $0 * expectedFirst })
        #expect(first.timeoutOffset == 31 * expectedFirst)
    }

    @Test func rfc7252WaitsStayInRangeAndRepeatFromTheSeed() {
        var a = RetransmissionPolicy.rfc7252(random: SplitMix64(seed: 42))
        var b = RetransmissionPolicy.rfc7252(random: SplitMix64(seed: 42))
        var c = RetransmissionPolicy.rfc7252(random: SplitMix64(seed: 43))
        var seenA: [Int64] = []
        var seenC: [Int64] = []
        for _ in 0..<1000 {
            let s = a.schedule()
            #expect((2000...3000).contains(s.firstWait))
            #expect(b.schedule() == s)
            seenA.append(s.firstWait)
            seenC.append(c.schedule().firstWait)
        }
        #expect(seenA != seenC)
        // Spread over the whole interval, not stuck near one end.
        #expect(seenA.min()! < 2100 && seenA.max()! > 2900)
    }
}
