"""kenshu plugin for the Hokkaido International Exchange and Cooperation Center (HIECC):
six programmes (events with an audience, two outbound study missions, inbound technical
trainees) and the centre's fiscal-year activity report (``kenshu hokkaido annual``)."""

__version__ = "0.1.0"
