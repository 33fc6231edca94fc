"""emurules: emulation-movement criteria as code."""
