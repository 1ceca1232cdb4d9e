import Testing
@testable import CoAP

/// The option list inside `Message`: ordering, replacement, and mutation of decoded messages.
@Suite struct MessageOptionsTests {
    @Test func addingOutOfOrderKeepsNumberOrderAndRepeatsStable() {
        var m = Message(type: .confirmable, code: .get)
        m.add(Option(.uriQuery, string: "a=1"))
        m.add(Option(.uriPath, string: "x"))
        m.add(Option(.uriHost, string: "h"))
        m.add(Option(.uriPath, string: "y"))
        m.add(Option(.uriQuery, string: "b=2"))
        #expect(m.options.map(\.description) == ["Uri-Host=h", "Uri-Path=x", "Uri-Path=y",
                                                 "Uri-Query=a=1", "Uri-Query=b=2"])
    }

    @Test func orderOfConstructionDoesNotChangeEquality() {
        var a = Message(type: .nonConfirmable, code: .content, messageID: 1, payload: [7])
        a.contentFormat = 42
        a.observe = 3
        var b = Message(type: .nonConfirmable, code: .content, messageID: 1)
        b.observe = 3
        b.payload = [7]
        b.contentFormat = 42
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.encoded() == b.encoded())
        b.observe = 4
        #expect(a != b)
    }

    @Test func settingOptionsKeepsThePayload() {
        var m = Message(type: .confirmable, code: .post, payload: [1, 2, 3])
        m.uriQuery = ["lt=300"]
        m.uriPath = ["rd"]
        m.contentFormat = 40
        #expect(m.payload == [1, 2, 3])
        m.uriQuery = []
        #expect(m.uriQuery.isEmpty)
        #expect(m.payload == [1, 2, 3])
        #expect(m.uriPath == ["rd"])
        m.payload = []
        #expect(m.encoded() == [0x40, 0x02, 0, 0, 0xB2, 0x72, 0x64, 0x11, 0x28])
    }

    @Test func replacingAndRemoving() {
        var m = Message(type: .confirmable, code: .get)
        m.uriPath = ["3", "0", "1"]
        m.observe = 0
        m.uriPath = ["19", "0"]
        #expect(m.uriPath == ["19", "0"])
        #expect(m.observe == 0)
        #expect(m.contains(.observe))
        m.observe = nil
        #expect(m.observe == nil)
        #expect(!m.contains(.observe))
        m.removeAll(.uriPath)
        #expect(m.options.isEmpty)
        m.removeAll(.uriPath)
        #expect(m.encoded() == [0x40, 0x01, 0, 0])
    }

    @Test func firstAllAndUintReading() {
        var m = Message(type: .confirmable, code: .get)
        m.set(.uriQuery, [Array("a".utf8), Array("b".utf8)])
        m.add(Option(.size1, [1, 2, 3, 4, 5]))
        #expect(m.first(.uriQuery)?.stringValue == "a")
        #expect(m.all(.uriQuery).map(\.stringValue) == ["a", "b"])
        #expect(m.first(.uriPath) == nil)
        #expect(m.all(.uriPath).isEmpty)
        // Five bytes do not fit a uint option (RFC 7252 §3.2 allows at most 4 for these).
        #expect(m.size1 == nil)
        #expect(m.first(.size1)?.value.count == 5)
    }

    @Test func mutatingADecodedMessageLeavesTheDatagramAlone() throws {
        var original = Message(type: .nonConfirmable, code: .content, messageID: 5, token: Token([1])!,
                               payload: [9, 9])
        original.observe = 1
        let bytes = original.encoded()
        var m = try Message(decoding: bytes)
        m.observe = 2
        m.uriPath = ["a"]
        m.payload.append(10)
        #expect(bytes == original.encoded())
        #expect(try Message(decoding: bytes) == original)
        #expect(m.observe == 2)
        #expect(m.payload == [9, 9, 10])
    }

    @Test func description() {
        var m = Message(type: .confirmable, code: .post, messageID: 12, token: Token([0xAB, 0x01])!,
                        payload: [1, 2])
        m.uriPath = ["rd"]
        m.contentFormat = 40
        #expect(m.description == "CON 0.02 mid=12 tok=ab01 Uri-Path=rd Content-Format=40 payload=2B")
    }
}
