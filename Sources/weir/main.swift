// The weir command line: see WeirCommand.swift.
