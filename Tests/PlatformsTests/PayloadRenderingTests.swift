import LwM2M
import Testing
@testable import Platforms

@Suite struct PayloadRenderingTests {
    @Test func tlvOfADeviceInstanceBecomesPathValueLines() throws {
        let tree = ObjectTree(profile: ModuleProfile(imei: "867724030023557", serialNumber: "SN1"))
        let content = try tree.read(LwM2MPath(3, 0), accept: .tlv)
        let lines = PayloadRendering.lines(content.bytes, format: .tlv, at: LwM2MPath(3, 0))
        #expect(lines.contains("/3/0/0 = \"Quectel\""))
        #expect(lines.contains("/3/0/1 = \"BC260Y-CN\""))
        #expect(lines.contains("/3/0/3 = \"BC260YCNAAR01A02\""))
    }

    @Test func opaqueShowsHexAndText() {
        #expect(PayloadRendering.lines(Array("QUECTEL".utf8), format: .opaque, at: LwM2MPath(19, 0, 0))
            == ["/19/0/0 = 0x5155454354454C \"QUECTEL\""])
        #expect(PayloadRendering.hexAndText([0x02, 0x00, 0x01]) == "0x020001")
    }

    @Test func senmlSendIsDecodedWithAbsoluteNames() {
        let body = Array(#"[{"n":"/19/1/0","vs":"hello"},{"n":"/3/0/9","v":87}]"#.utf8)
        let lines = PayloadRendering.lines(body, format: .senmlJSON, at: .root)
        #expect(lines.count == 2)
        #expect(lines[1] == "/3/0/9 = 87")
        #expect(lines[0].hasPrefix("/19/1/0 = "))
    }

    @Test func garbageIsShownNotDropped() {
        let lines = PayloadRendering.lines([0xFF, 0x01], format: .tlv, at: LwM2MPath(3, 0))
        #expect(lines.count == 1)
        #expect(lines[0].hasPrefix("(undecodable"))
        #expect(lines[0].hasSuffix("0xFF01"))
    }
}

@Suite struct SendAndBinaryRenderingTests {
    @Test func binaryShowsItsTextRuns() {
        #expect(PayloadRendering.hexAndText(hex("020001000400023238")) == "0x020001000400023238 (text \"28\")")
        #expect(PayloadRendering.hexAndText([0x41, 0x42, 0x00, 0x43, 0x00, 0x44, 0x45, 0x46]) == "0x4142004300444546 (text \"AB\", \"DEF\")")
        #expect(PayloadRendering.textRuns([0x41]) == [])
    }

    @Test func lwm2mJSONRecordsAreShownToo() {
        let body = Array(#"{"bn":"/19/1/","e":[{"n":"0/0","sv":"{\"a\":1}"},{"n":"1","v":3},{"n":"2","bv":true}]}"#.utf8)
        #expect(PayloadRendering.sendLines(EncodedContent(format: .lwm2mJSON, bytes: body), values: nil)
            == [#"/19/1/0/0 = "{"a":1}""#, "    a = 1", "/19/1/1 = 3", "/19/1/2 = true"])
    }

    @Test func nonJSONSendFallsBackToValuesThenBytes() {
        let values = [ReportedValue(path: LwM2MPath(3, 0, 9), value: .integer(80))]
        #expect(PayloadRendering.sendLines(EncodedContent(format: .tlv, bytes: [0xC1, 0x09, 0x50]), values: values)
            == ["/3/0/9 = 80"])
        #expect(PayloadRendering.sendLines(EncodedContent(format: .opaque, bytes: [0x01, 0x02]), values: nil) == ["0x0102"])
        #expect(PayloadRendering.sendLines(EncodedContent(format: .senmlJSON, bytes: Array("[1,".utf8)), values: nil)
            == ["0x5B312C \"[1,\""])
    }
}
