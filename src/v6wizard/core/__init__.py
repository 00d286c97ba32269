"""The pure core: inventory, plan, cutover logic, savings and readiness.

Nothing under this package may import boto3, botocore or textual; a test checks it.
"""
