// Runs libFuzzer's driver on a Swift closure: every target's main.swift is one call to `fuzz`.
//
// SwiftPM renames an executable's `main`, so libFuzzer's own `main` cannot be used; its
// `LLVMFuzzerRunDriver` entry point (linked by -sanitize=fuzzer) takes the callback instead.

import Glibc

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

nonisolated(unsafe) private var target: ((UnsafeRawBufferPointer) -> Void)?

/// libFuzzer's runtime references this symbol even when the driver is started by hand.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    target?(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Feeds every input libFuzzer generates to `body`; a crash or a sanitizer report is a finding.
public func fuzz(_ body: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
    target = body
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv, testOneInput)
    exit(status)
}
