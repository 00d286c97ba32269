"""v6wizard: migrate an AWS VPC and its Lambda functions to dual-stack IPv6."""

__version__ = "0.1.0"
